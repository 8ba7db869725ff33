"""Episodes: the spans of care a resident's schedules hang on (a pregnancy, a TB treatment)."""
