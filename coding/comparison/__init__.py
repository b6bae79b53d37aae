"""Cross-dyad comparison: the dyad × code matrix, prevalence, co-occurrence (process → outcome),
subgroups and the framework matrix, as a page, JSON endpoints and CSV/XLSX exports."""
