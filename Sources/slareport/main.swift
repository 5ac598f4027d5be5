import SLAReport
print("slareport: not yet")
