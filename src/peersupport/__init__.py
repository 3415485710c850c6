"""Peer support curriculum."""
