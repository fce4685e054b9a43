"""componentize-py side of the greeter pair: exports `test:greet/greeter` (world `greeter-py` of greeter.wit).

Built with: componentize-py -d greeter.wit -w greeter-py componentize -p . greeter -o greeter.wasm
"""

from wit_world import exports


class Greeter(exports.Greeter):
    def greet(self, name: str) -> str:
        return f"Hello, {name}, from Python!"
