"""Sign-in on django-allauth: password, e-mailed codes, OpenID Connect, staff factor."""
