"""The engine's tests run twice: on the algorithm and collection checked from their files, and
on what a server's later start reads back from its instance's cache of checked files
(engine/instruments/cache.py), the path every start after the first takes. So the rules that
no missing answer, norm table or rule makes a child look fine (test_never_miss.py,
test_properties.py, test_algorithm.py) hold for what the app really scores with."""

import pytest

from diagnostics.engine.algorithm import load_algorithm
from diagnostics.engine.instruments import cache, load_collection
from diagnostics.paths import resource_dir

INSTRUMENTS = resource_dir("instruments")
ALGORITHM_FILE = INSTRUMENTS / "algorithm" / "unified.yaml"


@pytest.fixture(scope="session", params=["from the files", "from the instance cache"])
def checked(request, tmp_path_factory):
    """(algorithm, collection) from one of the two ways a start gets them."""
    if request.param == "from the files":
        algorithm = load_algorithm(ALGORITHM_FILE)
        return algorithm, load_collection(INSTRUMENTS, algorithm)
    instance = tmp_path_factory.mktemp("instance")
    cache.load_checked(INSTRUMENTS, ALGORITHM_FILE, instance)  # a first start fills the cache
    cache._checked.clear()  # a later start is a new process: it has only the instance's cache
    return cache.load_checked(INSTRUMENTS, ALGORITHM_FILE, instance)


@pytest.fixture(scope="session")
def shipped_algorithm(checked):
    return checked[0]


@pytest.fixture(scope="session")
def collection(checked):
    return checked[1]
