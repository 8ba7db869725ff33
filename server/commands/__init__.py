"""Command groups by noun (`org-units`, `staff`, `residents`) and the first administrator;
`server.cli` registers them with the app."""
