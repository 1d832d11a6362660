from services.notify.bootstrap import create_app
from services.notify.settings import NotifySettings
from services.runtime.entry import serve

if __name__ == "__main__":
    raise SystemExit(serve(create_app, NotifySettings))
