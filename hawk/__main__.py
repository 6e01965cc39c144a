"""`python -m hawk` is the `hawk` command."""
from hawk.cli import main

main()
