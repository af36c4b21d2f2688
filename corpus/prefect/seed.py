"""Seeds a fresh Prefect state with one finished flow run (with logs and a task run) and one
deployment, so the UI's Runs, Flows and Deployments pages have data. Run by serve.sh with the same
PREFECT_HOME as the server, before the server starts: the Prefect client then runs a temporary
local server on loopback against the same SQLite database."""
import asyncio

from prefect import flow, get_run_logger, task
from prefect.client.orchestration import get_client


@task
def add(x: int, y: int) -> int:
    return x + y


@flow(name="corpus-hello", flow_run_name="corpus-hello-run", log_prints=True)
def corpus_hello(name: str = "corpus") -> int:
    logger = get_run_logger()
    logger.info("hello %s", name)
    total = add(1, 2)
    logger.info("1 + 2 = %d", total)
    logger.warning("this is a warning line for the logs tab")
    return total


async def create_deployment() -> None:
    async with get_client() as client:
        flow_id = await client.create_flow_from_name("corpus-hello")
        await client.create_deployment(
            flow_id=flow_id,
            name="corpus-deployment",
            description="Deployment created by the corpus seed script",
            tags=["corpus"],
            parameter_openapi_schema={"type": "object", "properties": {"name": {"type": "string", "default": "corpus"}}},
        )


if __name__ == "__main__":
    corpus_hello(name="corpus")
    asyncio.run(create_deployment())
