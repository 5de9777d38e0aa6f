"""A linear model served by DCF: y = weights . x + bias.

The model is a small JSON file, {"weights": [...], "bias": b, "version": "..."}, uploaded
with `dcf function update-model linear-model --file model.json`. Each replica reads it
once, when it loads (the class's __init__), from the path the gateway gives in
DCF_MODEL_PATH; until a model is uploaded, the one beside this file is used.
"""
import json
import os

_HERE = os.path.dirname(os.path.abspath(__file__))


def load_model(path):
    with open(path, "r", encoding="utf-8") as f:
        model = json.load(f)
    weights = [float(w) for w in model["weights"]]
    return weights, float(model.get("bias", 0.0)), str(model.get("version", "unnamed"))


class Handler:
    def __init__(self):
        # Once per replica, before it reports ready: a replica never serves without its model.
        path = os.environ.get("DCF_MODEL_PATH") or os.path.join(_HERE, "model.json")
        self.weights, self.bias, self.version = load_model(path)

    def __call__(self, req):
        features = json.loads(req.input or b"{}").get("x", [])
        if len(features) != len(self.weights):
            raise ValueError("x: %d features (expected: %d)" % (len(features), len(self.weights)))
        y = sum(w * x for w, x in zip(self.weights, features)) + self.bias
        return {"y": y, "model": self.version}
