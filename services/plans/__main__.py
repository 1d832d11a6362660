from services.plans.bootstrap import create_app
from services.plans.settings import PlansSettings
from services.runtime.entry import serve

if __name__ == "__main__":
    raise SystemExit(serve(create_app, PlansSettings))
