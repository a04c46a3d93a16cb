"""Runs moto's server with the fixes the emulated pipeline needs.

Each module of moto_patches/ patches one service (see its docstring); the first `terraform apply`'s remaining
minutes are the AWS provider's own fixed waits (e.g. six equal reads five seconds apart after every SQS queue
create), which no answer shortens.
"""

import sys

from moto_patches import ec2, glue, local_only, redshift, s3, sqs  # noqa: F401  (importing applies the patches)


def serve(argv: list[str]) -> None:
    """moto's own server, imported once every patch is in place."""
    from moto.server import main

    main(argv)


serve(sys.argv[1:])
