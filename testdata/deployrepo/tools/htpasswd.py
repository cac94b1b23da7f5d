"""Rotate the intranet password file (see docs/htpasswd-rotation.md)."""
import subprocess
import sys

def main(user):
    subprocess.run(["htpasswd", "-B", "/etc/apache2/intranet.htpasswd", user], check=True)

if __name__ == "__main__":
    main(sys.argv[1])
