"""Certificates: issued on a first course completion, rendered and signed on a worker.

See README.md for the platform signing key and how a certificate is verified.
"""
