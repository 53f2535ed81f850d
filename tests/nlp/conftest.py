import pytest

from kg.extract import extract_batch
from kg.model import Paper
from kg.nlp.pipeline import build_nlp


@pytest.fixture(scope="session")
def nlp():
    return build_nlp()


@pytest.fixture(scope="session")
def extract(nlp):
    """Extract one paper written for a test: ``extract(abstract, title="")``."""
    def run(abstract: str, title: str = "", pid: str = "t1"):
        return extract_batch([Paper(pid, title, abstract)], nlp)[0]
    return run
