"""The plans' vocabulary: agency names, role words, timing and periods, reporting schedules, targets."""
