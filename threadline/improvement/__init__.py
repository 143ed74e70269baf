"""Areas for improvement: an inspection's findings and recommendations, the force's actions and the figures that evidence progress."""
