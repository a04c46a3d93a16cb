"""Runs moto's server with the fixes the emulated pipeline needs.

Each module of moto_patches/ patches one service (see its docstring); the first `terraform apply`'s remaining
minutes are the AWS provider's own fixed waits (e.g. six equal reads five seconds apart after every SQS queue
create), which no answer shortens.
"""
import sys

from moto_patches import ec2, glue, local_only, redshift, s3, sqs  # noqa: F401  (importing applies the patches)
from moto.server import main  # noqa: E402  (the patches must come first)

main(sys.argv[1:])
