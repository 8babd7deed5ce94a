"""The public tipline: reports from the public, a receipt to add to them, their URLs crawled."""
