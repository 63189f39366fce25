"""One module per `studio` sub-command group; `studio.cli` registers them."""
