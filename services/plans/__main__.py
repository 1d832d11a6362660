from services.plans.bootstrap import create_app, tune_collector
from services.plans.settings import PlansSettings
from services.runtime.entry import serve

if __name__ == "__main__":
    tune_collector()
    raise SystemExit(serve(create_app, PlansSettings))
