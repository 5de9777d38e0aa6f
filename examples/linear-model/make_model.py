"""Writes a tiny linear model as JSON: python3 make_model.py model.json --weights 2,3 --bias 1 --version v2

Fits nothing: the weights are given, so each version of the model is easy to tell apart
in the function's answers.
"""
import argparse
import json

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("out", help="the file to write, e.g. model.json")
parser.add_argument("--weights", default="1,1", help="comma-separated weights, one per feature")
parser.add_argument("--bias", type=float, default=0.0)
parser.add_argument("--version", default="v1", help="a name the function reports with each answer")
args = parser.parse_args()

model = {"weights": [float(w) for w in args.weights.split(",")], "bias": args.bias, "version": args.version}
with open(args.out, "w", encoding="utf-8") as f:
    json.dump(model, f)
    f.write("\n")
print("wrote %s: %s" % (args.out, json.dumps(model)))
