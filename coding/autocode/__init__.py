"""Autocode by speaker: code every turn of a role or a speaker label with one code, into one
coder's layer, as a job whose run can be undone as one step."""
