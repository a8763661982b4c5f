from digisafe.cli import main

main()
