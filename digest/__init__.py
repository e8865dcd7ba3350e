"""digest: weekly newsletter digests from feeds and local notes."""

__version__ = "0.1.0"
