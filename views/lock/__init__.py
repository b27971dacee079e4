"""First run and unlock: the PIN screens and the sentences for a refused PIN."""
