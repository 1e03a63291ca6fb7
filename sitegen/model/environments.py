"""The environments a build is made for: the production site, or a preview of it (the
command line's --env; sitegen.model.deploy says what each means). Apart from deploy.py,
so that the command line knows them without importing more."""

PRODUCTION = "production"
PREVIEW = "preview"
ENVIRONMENTS = (PRODUCTION, PREVIEW)
