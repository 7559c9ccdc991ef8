"""Consumer tax: the kernel asks the tenant's region plugin; it never knows a rate itself."""
