"""Labels you can trust: labels that look wrong, near-duplicate images."""
