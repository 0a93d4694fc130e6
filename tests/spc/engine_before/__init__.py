"""The SPC engine as it was before ADR 0060, kept verbatim to check the fast path gives identical results."""
