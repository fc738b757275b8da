"""Bridges to other frameworks: `interop.torch` converts modules to and from PyTorch."""
