"""The audit trail: who changed or exported what, when, with the values before and after."""
