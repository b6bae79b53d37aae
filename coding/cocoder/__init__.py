"""The co-coder: engines that learn a study's settled coding and propose codes for units of text,
and their leave-one-dyad-out evaluation with the team's own agreement statistics."""
