"""Patches that make moto answer as AWS does where the pipeline and Terraform depend on it, one module per
service, and local_only.py, which keeps moto's port to this machine's programs. Importing a module applies its
patches; each patch says what AWS does."""
