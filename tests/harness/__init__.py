"""Test harness shared by unit, plan and end-to-end tests."""
