"""Routes: thin shells that parse input, call a service and render the answer."""
