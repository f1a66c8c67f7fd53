"""Serve the JupyterLab front end built from npm (tools/lab) with Debian's jupyter_server and
jupyterlab_server, as jupyterlab's examples/app does.

    LLMD_LAB_BUILD=<built app> LLMD_LAB_STATE=<scratch folder> /usr/bin/python3 server.py \\
        --ServerApp.ip=127.0.0.1 --ServerApp.port=8888 --ServerApp.token=<token> --ServerApp.root_dir=<notebooks>

The built app (webpack output, schemas, themes) is read-only here; user settings, workspaces and the
settings overrides live under LLMD_LAB_STATE, so a cached build is never written to.
Prebuilt lab extensions are found, as in JupyterLab, in the `labextensions` folders of the Jupyter data
path (JUPYTER_DATA_DIR first).
"""
import json
import os

from jupyterlab_server import LabServerApp

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.abspath(os.environ["LLMD_LAB_BUILD"])
STATE = os.path.abspath(os.environ["LLMD_LAB_STATE"])

with open(os.path.join(HERE, "node_modules", "@jupyterlab", "application", "package.json")) as f:
    VERSION = json.load(f)["version"]


class CourseLab(LabServerApp):
    name = __name__
    extension_url = "/lab"
    default_url = "/lab"
    load_other_extensions = False
    app_name = "JupyterLab"
    app_version = VERSION
    static_dir = BUILD
    templates_dir = os.path.join(HERE, "templates")
    schemas_dir = os.path.join(BUILD, "schemas")
    themes_dir = os.path.join(BUILD, "themes")
    app_settings_dir = os.path.join(STATE, "app-settings")
    user_settings_dir = os.path.join(STATE, "user-settings")
    workspaces_dir = os.path.join(STATE, "workspaces")

    def initialize_settings(self):
        super().initialize_settings()
        self.serverapp.web_app.settings["terminals_available"] = False


def _jupyter_server_extension_points():
    # jupyter_server finds the app to start through its module, which is this script.
    return [{"module": __name__, "app": CourseLab}]


if __name__ == "__main__":
    CourseLab.launch_instance()
