"""Runs moto's server with its in-process SQS -> Lambda dispatch turned off.

moto receives the messages of a queue that has a Lambda event source mapping as soon as they are sent,
which counts a receive (and so moves them to the dead-letter queue one receive early) and then fails for
want of Docker. The emulator's Lambda runtime polls those queues itself, as AWS Lambda does.
"""
import sys

from moto.sqs import models

models.Queue.lambda_event_source_mappings = property(lambda self: {}, lambda self, value: None)

from moto.server import main  # noqa: E402  (the patch must come first)

main(sys.argv[1:])
