"""Command-line tools that build the bundled models in assets/models/ and evaluate them."""
