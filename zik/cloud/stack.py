"""Finding a self-hosted Zik backend from its CloudFormation stack.

`zik cloud setup --stack NAME` reads the stack's outputs (`UserPoolIdOutput`,
`UserPoolClientIdOutput`, `ApiEndpointOutput`, reference/backend-contract.md §1 and §10) and the
physical names of its six DynamoDB tables (CloudFormation generates them, e.g.
`ZikBackendStack-GoalsTable50C7ED4E-XXXX`), with the user's AWS credentials.
"""

from __future__ import annotations

from typing import Any

from zik import config
from zik.errors import AccessError, NotFound, TemporaryError, ZikError

OUTPUTS = {
    "UserPoolIdOutput": "user_pool_id",
    "UserPoolClientIdOutput": "client_id",
    "ApiEndpointOutput": "api_url",
}
# logical-id prefix of each table (CDK appends a hash) -> setting name
TABLES = {
    "GoalsTable": "goals",
    "TasksTable": "tasks",
    "UsersTable": "users",
    "RecurrenceRulesTable": "routines",
    "ChatMessagesTable": "chat",
    "MilestonesTable": "milestones",
}


def read(name: str, region: str | None) -> dict[str, Any]:
    """The backend's settings from its stack: pool, client, API URL and table names."""
    import boto3
    import botocore.exceptions as boto_errors

    region = config.aws_region(region)
    try:
        # A fresh session: boto3's module default one caches credentials for the process.
        cfn = boto3.Session().client("cloudformation", region_name=region)
        stacks = cfn.describe_stacks(StackName=name)["Stacks"]
        resources: list[dict[str, Any]] = []
        for page in cfn.get_paginator("list_stack_resources").paginate(StackName=name):
            resources += page["StackResourceSummaries"]
        region = cfn.meta.region_name
    except boto_errors.NoCredentialsError:
        raise AccessError(
            "reading a CloudFormation stack needs AWS credentials",
            hint="set AWS_PROFILE or AWS access keys, or give --user-pool-id and --client-id",
        ) from None
    except boto_errors.NoRegionError:
        raise AccessError("no AWS region", hint="give --region or set AWS_REGION") from None
    except boto_errors.ClientError as e:
        message = e.response.get("Error", {}).get("Message", "")
        if "does not exist" in message:
            raise NotFound(
                f"no CloudFormation stack named {name!r} in {region or 'this region'}"
            ) from None
        raise AccessError(f"CloudFormation refused: {message}") from None
    except boto_errors.BotoCoreError as e:
        raise TemporaryError(f"cannot reach CloudFormation: {e}") from None
    found: dict[str, Any] = {"region": region, "tables": {}}
    for output in stacks[0].get("Outputs", []):
        key = OUTPUTS.get(output.get("OutputKey", ""))
        if key:
            found[key] = output["OutputValue"]
    for resource in resources:
        if resource.get("ResourceType") != "AWS::DynamoDB::Table":
            continue
        for prefix, table in TABLES.items():
            if resource["LogicalResourceId"].startswith(prefix):
                found["tables"][table] = resource["PhysicalResourceId"]
    missing = [k for k in ("user_pool_id", "client_id") if k not in found]
    if missing:
        raise ZikError(
            f"stack {name!r} has no {' or '.join(missing)} output",
            hint="is it the Zik backend stack? Or give --user-pool-id and --client-id",
        )
    return found
