"""One module per CLI command."""

# Registers the account tables on etp.schema.Base, so that every command's init_db creates them.
import auth.models  # noqa: F401
