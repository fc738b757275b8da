"""Checks of the exercises of notebooks 03–09: losses, gradient descent, neurons, optimizers, classification."""
