"""Home ("I dag"): the week's status and the big actions, and the records missing a municipality."""
