"""Speakers of an interview after import: the table of speaker labels (as found in the turns),
their roles and people, and the lead's correction of a label's role."""
