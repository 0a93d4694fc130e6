"""Information requests from the bodies a trust reports to, each answered once from what Wellled holds."""
