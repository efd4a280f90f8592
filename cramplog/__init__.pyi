# What cramplog/__init__.py hands out lazily, declared for type checkers (the scientific
# Python "lazy loading" pattern, SPEC 1): at run time these come from __getattr__.
from cramplog.api import Analysis as Analysis
from cramplog.api import CramplogWarning as CramplogWarning
from cramplog.api import StoreView as StoreView
from cramplog.api import analyze as analyze
from cramplog.api import open_store as open_store
from cramplog.errors import CramplogError as CramplogError
from cramplog.errors import InputError as InputError
from cramplog.errors import StoreError as StoreError
from cramplog.errors import UsageError as UsageError

__version__: str
__all__: list[str]
