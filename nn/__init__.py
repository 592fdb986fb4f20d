"""nn: modules, layers, activations, losses, initializers and optimizers on autograd's ops."""
