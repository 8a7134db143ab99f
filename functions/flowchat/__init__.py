"""FlowChat backend: accounts, rooms and membership in PostgreSQL, projected into Firebase."""
