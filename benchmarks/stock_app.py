"""The panel's app with compare.py's stock Flask-Admin dossier view at /stock/dossier/, for
gunicorn: ``gunicorn -c gunicorn.conf.py "benchmarks.stock_app:create_app()"`` (load.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

import app as panel
from benchmarks.compare import StockDossierView
from extensions import db
from models import Dossier


def create_app():
    """The panel, plus Flask-Admin out of the box over the same table in the same process."""
    app = panel.create_app()
    stock = Admin(app, name="Stock", url="/stock", endpoint="stock", theme=Bootstrap4Theme())
    with app.app_context():
        stock.add_view(StockDossierView(Dossier, db, endpoint="stock_dossier", url="dossier"))
    return app
