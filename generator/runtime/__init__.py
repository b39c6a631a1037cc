# pyright: reportPrivateUsage=false
"""Runtime code copied verbatim into every generated package (stdlib and httpx only)."""
