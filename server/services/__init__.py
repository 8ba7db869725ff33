"""Domain rules as plain functions over the session; views stay thin and tests call these."""
