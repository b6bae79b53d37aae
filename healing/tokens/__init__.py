"""Personal API tokens: the model the API authentication reads, and creating or revoking one."""
