"""EC2 as AWS answers it: a security group rule keeps its description whatever its target."""

from moto.ec2.models import security_groups as ec2_security_groups

_security_group_rule_init = ec2_security_groups.SecurityGroupRule.__init__


def _security_group_rule_init_keeping_description(
    self,
    ec2_backend,
    ip_protocol,
    group_id,
    from_port,
    to_port,
    ip_range,
    source_group=None,
    prefix_list_id=None,
    **kwargs,
):
    _security_group_rule_init(
        self, ec2_backend, ip_protocol, group_id, from_port, to_port, ip_range, source_group, prefix_list_id, **kwargs
    )
    self.prefix_list_description = (prefix_list_id or {}).get("Description")


# A rule's Description is the one given with its target, whichever kind: moto only kept it for CIDR
# targets, so a rule to a prefix list (the S3 gateway endpoint) lost its description.
ec2_security_groups.SecurityGroupRule.__init__ = _security_group_rule_init_keeping_description
ec2_security_groups.SecurityGroupRule.description = property(
    lambda self: (
        self.ip_range.get("Description")
        or self.source_group.get("Description")
        or getattr(self, "prefix_list_description", None)
    )
)
