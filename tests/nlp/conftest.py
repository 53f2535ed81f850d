import pytest

from kg.extract import extract_batch
from kg.model import Paper
from kg.nlp.pipeline import build_nlp


@pytest.fixture(scope="session")
def nlp():
    return build_nlp()


@pytest.fixture(scope="session")
def rules_nlp():
    """The pipeline without the mention classifier (``kg extract --rules-only``)."""
    return build_nlp(mode="rules")


def _extractor(nlp):
    def run(abstract: str, title: str = "", pid: str = "t1"):
        return extract_batch([Paper(pid, title, abstract)], nlp)[0]
    return run


@pytest.fixture(scope="session")
def extract(nlp):
    """Extract one paper written for a test: ``extract(abstract, title="")``."""
    return _extractor(nlp)


@pytest.fixture(scope="session")
def extract_rules(rules_nlp):
    """The same with the rules only: what the rule components give the classifier."""
    return _extractor(rules_nlp)
