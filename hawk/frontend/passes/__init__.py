"""The middle end: AST -> AST passes between the expander and the compiler.

Each module is one pass with a `run(node) -> node` entry point; the order
they run in is hawk.frontend.pipeline.PASSES. `tree` holds the generic
traversal they share.
"""
